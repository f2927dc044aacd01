import sys

from voxctl.agent.cli import main

sys.exit(main())
