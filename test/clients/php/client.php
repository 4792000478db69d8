<?php
// Runs README snippets one after the other in one scope, as consecutive lines of an application
// would, then prints what they left behind as one JSON line.
// Usage: php client.php SNIPPET.php [SNIPPET.php ...]
// (inputs: AUDIO_PATH, RECORDING_ID, JOB_ID, TRANSCRIPT_PATH)
declare(strict_types=1);

require __DIR__.'/bootstrap.php';

use Illuminate\Http\Client\RequestException;

// The snippets' inputs: the file to send, the application's record, a job to poll, a transcript.
$path = getenv('AUDIO_PATH') ?: null;
$transcriptPath = getenv('TRANSCRIPT_PATH') ?: null;
$recording = (object) ['id' => getenv('RECORDING_ID') ?: null];
$jobId = getenv('JOB_ID') ?: null;

$report = [];
try {
    foreach (array_slice($argv, 1) as $snippet) {
        require $snippet;
    }
} catch (RequestException $exception) {
    $report['exception'] = [
        'class' => get_class($exception),
        'message' => $exception->getMessage(),
        'status' => $exception->response->status(),
        'error' => $exception->response->json('error'),
    ];
}

if (isset($response)) {
    $report['status'] = $response->status();
    $report['replayed'] = $response->header('Idempotent-Replayed');
    $report['location'] = $response->header('Location');
}
foreach (['jobId', 'job', 'rttm', 'speakers', 'duration', 'transcript', 'srt'] as $name) {
    if (isset($$name)) {
        $report[$name] = $$name;
    }
}
echo json_encode($report, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES), "\n";
