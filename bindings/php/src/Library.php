<?php

declare(strict_types=1);

namespace Rescue;

/**
 * Finds and loads librescue through ext-ffi, once per (library, header) pair per process.
 *
 * The declarations always come from librescue's own generated header `rescue_ffi.h`
 * (rescue.h without preprocessor lines), so the PHP side can't drift from the C ABI.
 *
 * Where `ffi.enable=preload` (PHP's default outside the CLI) forbids FFI::cdef at run time,
 * `ffi.preload` can load librescue at startup into the scope "RESCUE" (see the README);
 * it is used when neither a library nor a header is given.
 *
 * @internal Used by {@see Client}.
 */
final class Library
{
    /** The FFI scope an `ffi.preload` header declares (`#define FFI_SCOPE "RESCUE"`). */
    public const SCOPE = 'RESCUE';

    /** Tried in order through the dynamic loader when no library is given. */
    private const SYSTEM_LIBRARIES = ['librescue.so.0', 'librescue.so'];

    /** @var array<string, \FFI> keyed by library and header path */
    private static $loaded = [];

    /** @var \FFI|false|null the preloaded scope; false: looked for and not there */
    private static $scope;

    private function __construct()
    {
    }

    /**
     * The FFI instance for `$library` (else env `RESCUE_LIBRARY`, else the preloaded scope,
     * else `librescue.so.0`/`librescue.so` via the dynamic loader) declared by `$header`
     * (else env `RESCUE_HEADER`, else the first `rescue_ffi.h` of {@see headerCandidates()}).
     *
     * @throws \RuntimeException when ext-ffi is missing or disabled, or nothing loads
     */
    public static function load(?string $library = null, ?string $header = null): \FFI
    {
        if (!extension_loaded('ffi')) {
            throw new \RuntimeException('librescue needs the PHP extension ffi (ext-ffi)');
        }
        $library = $library ?? self::env('RESCUE_LIBRARY');
        $header = $header ?? self::env('RESCUE_HEADER');
        if ($library === null && $header === null) {
            $scope = self::scope();
            if ($scope !== null) {
                return $scope;
            }
        }
        $header = $header ?? self::findHeader($library);
        $key = ($library ?? '') . "\0" . $header;
        if (!isset(self::$loaded[$key])) {
            self::$loaded[$key] = self::open($library, self::declarations($header));
        }
        return self::$loaded[$key];
    }

    /**
     * Where `rescue_ffi.h` is looked for, in order: beside the library and in its
     * `../include/` (an installed prefix), the repository's `include/` (this package inside
     * the librescue source tree), `/usr/local/include`, `/usr/include`.
     *
     * @return list<string>
     */
    public static function headerCandidates(?string $library = null): array
    {
        $candidates = [];
        if ($library !== null && strpos($library, '/') !== false) {
            $dir = dirname($library);
            $candidates[] = $dir . '/rescue_ffi.h';
            $candidates[] = dirname($dir) . '/include/rescue_ffi.h';
        }
        $candidates[] = dirname(__DIR__, 3) . '/include/rescue_ffi.h';
        $candidates[] = '/usr/local/include/rescue_ffi.h';
        $candidates[] = '/usr/include/rescue_ffi.h';
        return $candidates;
    }

    private static function findHeader(?string $library): string
    {
        $candidates = self::headerCandidates($library);
        foreach ($candidates as $candidate) {
            if (is_file($candidate)) {
                return $candidate;
            }
        }
        throw new \RuntimeException(
            'rescue_ffi.h not found (set the "header" option or RESCUE_HEADER); looked at: '
            . implode(', ', $candidates)
        );
    }

    private static function declarations(string $header): string
    {
        $text = is_file($header) ? file_get_contents($header) : false;
        if ($text === false) {
            throw new \RuntimeException("cannot read the librescue header {$header}");
        }
        return $text;
    }

    private static function open(?string $library, string $declarations): \FFI
    {
        $errors = [];
        foreach ($library !== null ? [$library] : self::SYSTEM_LIBRARIES as $candidate) {
            try {
                return \FFI::cdef($declarations, $candidate);
            } catch (\FFI\ParserException $e) {
                throw new \RuntimeException('the librescue header does not parse: ' . $e->getMessage(), 0, $e);
            } catch (\FFI\Exception $e) {
                $errors[] = $e->getMessage();
            }
        }
        throw new \RuntimeException(
            'librescue could not be loaded (set the "library" option or RESCUE_LIBRARY): '
            . implode('; ', $errors)
        );
    }

    private static function scope(): ?\FFI
    {
        if (self::$scope === null) {
            try {
                self::$scope = \FFI::scope(self::SCOPE);
            } catch (\FFI\Exception $e) {
                self::$scope = false;
            }
        }
        return self::$scope === false ? null : self::$scope;
    }

    private static function env(string $name): ?string
    {
        $value = getenv($name);
        return is_string($value) && $value !== '' ? $value : null;
    }
}
