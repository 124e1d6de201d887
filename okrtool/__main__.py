from okrtool.cli import main

main()
