<?php

declare(strict_types=1);

namespace Rescue;

/**
 * A call failed: the service answered a word other than OK, or the call failed on this side.
 *
 * `getStatus()` is the name (`"POLLRATEEXCEEDED"`, `"TIMEOUT"`), `getCode()` its number
 * (a {@see Status} constant), `getMessage()` librescue's detail, which never holds a secret.
 */
class RescueException extends \RuntimeException
{
    /** @var string */
    private $status;

    public function __construct(string $status, int $code, string $message, ?\Throwable $previous = null)
    {
        parent::__construct($message, $code, $previous);
        $this->status = $status;
    }

    /** The status name, e.g. `"NOTLOGGEDIN"` or `"FIELD_TOO_LONG"`. */
    public function getStatus(): string
    {
        return $this->status;
    }
}
