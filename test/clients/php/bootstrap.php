<?php
// What a Laravel application provides around the README's snippets, and nothing more: Debian's
// illuminate/http + guzzle packages, a root for the Http facade, and the few framework helpers
// the snippets call (config, route, abort, abort_unless, response()->noContent()).
declare(strict_types=1);

namespace {
    require_once 'GuzzleHttp/autoload.php';
    require_once 'Illuminate/Http/autoload.php';

    use Illuminate\Http\Client\Factory;
    use Illuminate\Http\Response;
    use Illuminate\Support\Facades\Http;
    use Symfony\Component\HttpKernel\Exception\HttpException;

    // Warnings and notices fail the run, as Laravel's error handler makes them exceptions. Deprecations
    // are only logged by Laravel, and Debian's illuminate 8 raises some under PHP 8.2 itself.
    error_reporting(E_ALL & ~E_DEPRECATED & ~E_USER_DEPRECATED);
    set_error_handler(static function (int $severity, string $message, string $file, int $line): bool {
        throw new ErrorException($message, 0, $severity, $file, $line);
    }, E_ALL & ~E_DEPRECATED & ~E_USER_DEPRECATED);

    // The facade's root: what the container would hand out for Illuminate\Http\Client\Factory.
    Http::swap(new Factory());

    /** config/services.php's `diarization` entry, filled from the test's environment. */
    function config(string $key)
    {
        $values = [
            'services.diarization.url' => getenv('DIARIZATION_URL'),
            'services.diarization.token' => getenv('DIARIZATION_TOKEN'),
            'services.diarization.webhook_secret' => getenv('DIARIZATION_WEBHOOK_SECRET'),
        ];
        if (!array_key_exists($key, $values) || $values[$key] === false) {
            throw new LogicException("config({$key}) is not set up for the client suite");
        }
        return $values[$key];
    }

    /** The URL of the named route: only the webhook receiver exists here. */
    function route(string $name): string
    {
        $url = getenv('WEBHOOK_RECEIVER_URL');
        if ($name !== 'webhooks.diarization' || $url === false) {
            throw new LogicException("route({$name}) is not set up for the client suite");
        }
        return $url;
    }

    function abort(int $code, string $message = ''): void
    {
        throw new HttpException($code, $message);
    }

    function abort_unless($condition, int $code, string $message = ''): void
    {
        if (!$condition) {
            abort($code, $message);
        }
    }

    /** response() without arguments: Laravel's ResponseFactory, of which the snippets use noContent(). */
    function response(): object
    {
        return new class {
            public function noContent(int $status = 204, array $headers = []): Response
            {
                return new Response('', $status, $headers);
            }
        };
    }
}

namespace App\Http\Controllers {
    /** The base controller every Laravel application has (app/Http/Controllers/Controller.php). */
    abstract class Controller
    {
    }
}
