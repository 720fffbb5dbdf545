#include <stdio.h>
#include <unistd.h>

#include "greeting.h"

int main(void) {
    printf("%s uid=%d\n", GREETING, (int)getuid());
    return 0;
}
