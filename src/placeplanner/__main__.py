from placeplanner.cli import main

raise SystemExit(main())
