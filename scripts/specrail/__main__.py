from __future__ import annotations

from specrail.cli import main

raise SystemExit(main())
