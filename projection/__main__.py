from projection.cli import main

raise SystemExit(main())
