from weekwatch.tui.cli import main

main()
