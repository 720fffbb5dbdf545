import os

import six

cwd = os.getcwd()
print(f"hello from python six={six.__version__} uid={os.getuid()} cwd={cwd} writable={os.access(cwd, os.W_OK)}")
