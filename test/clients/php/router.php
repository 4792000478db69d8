<?php
// Router of `php -S`: serves the README's webhook controller at /webhooks/diarization, as a
// Laravel route would, and appends what it received and answered to WEBHOOK_LOG (one JSON line).
declare(strict_types=1);

require __DIR__.'/bootstrap.php';
require getenv('SNIPPETS_DIR').'/webhook-controller.php';

use App\Http\Controllers\DiarizationWebhookController;
use Illuminate\Http\JsonResponse;
use Illuminate\Http\Request;
use Symfony\Component\HttpKernel\Exception\HttpException;

$request = Request::capture();
if ($request->getPathInfo() !== '/webhooks/diarization' || !$request->isMethod('POST')) {
    $response = new JsonResponse(['error' => 'not found'], 404);
} else {
    try {
        $response = (new DiarizationWebhookController())($request);
    } catch (HttpException $exception) {
        // What Laravel's exception handler does with abort() for a JSON client.
        $response = new JsonResponse(['message' => $exception->getMessage()], $exception->getStatusCode());
    }
}

file_put_contents(getenv('WEBHOOK_LOG'), json_encode([
    'status' => $response->getStatusCode(),
    'headers' => [
        'webhook-id' => $request->header('webhook-id'),
        'webhook-timestamp' => $request->header('webhook-timestamp'),
        'webhook-signature' => $request->header('webhook-signature'),
    ],
    'body' => $request->getContent(),
], JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES)."\n", FILE_APPEND | LOCK_EX);

$response->send();
