import importlib.util
import os

import six

poetry = "present" if importlib.util.find_spec("poetry") else "absent"
print(f"hello from poetry six={six.__version__} poetry={poetry} uid={os.getuid()}")
