#include <iostream>
#include <unistd.h>

#include "greeting.hpp"

int main() {
    std::cout << greeting() << " uid=" << getuid() << std::endl;
    return 0;
}
