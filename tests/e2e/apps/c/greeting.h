#define GREETING "hello from c"
