<?php

// Without Composer: `require 'path/to/bindings/php/rescue.php';` loads every class.

declare(strict_types=1);

require_once __DIR__ . '/src/Status.php';
require_once __DIR__ . '/src/RescueException.php';
require_once __DIR__ . '/src/Library.php';
require_once __DIR__ . '/src/Client.php';
