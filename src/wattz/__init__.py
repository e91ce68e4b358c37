"""wattz: a local-first command-line cycling coach."""

import os

# garth depends on logfire, whose pydantic plugin costs ~0.5 s at the first model
# definition; wattz uses no pydantic plugin, so none is loaded unless asked for.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

__version__ = "0.1.0"
