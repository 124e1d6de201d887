from okrtool.cli import main

raise SystemExit(main())
