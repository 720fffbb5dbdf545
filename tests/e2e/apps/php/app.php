<?php

require __DIR__ . '/vendor/autoload.php';

echo \Hello\Greeting::line(), "\n";
