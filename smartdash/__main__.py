import sys

from smartdash.cli import main

sys.exit(main())
