#pragma once
#include <string>

inline std::string greeting() { return "hello from cmake"; }
