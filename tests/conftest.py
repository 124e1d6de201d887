import sys
from pathlib import Path

# let tests import their shared helpers module
sys.path.insert(0, str(Path(__file__).parent))
