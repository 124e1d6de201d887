import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

# let tests import their shared helpers module
sys.path.insert(0, str(Path(__file__).parent))

# the YAML parse cache of every test run (in-process and subprocesses) in a folder of its own,
# never in the user's ~/.cache
os.environ["OKRTOOL_CACHE_DIR"] = _CACHE = tempfile.mkdtemp(prefix="okrtool-test-cache-")
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

# pytest-xdist gives its workers COLUMNS and LINES of the controller's terminal (80 x 24 when it
# has none); a test run in one process has neither, so tables are as wide in both
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.pop("COLUMNS", None)
    os.environ.pop("LINES", None)
