<?php

namespace Hello;

final class Greeting
{
    public static function line(): string
    {
        return sprintf("hello from php uid=%d cwd=%s", posix_getuid(), getcwd());
    }
}
