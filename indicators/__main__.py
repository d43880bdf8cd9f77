from indicators.cli import main

raise SystemExit(main())
