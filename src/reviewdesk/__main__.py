from reviewdesk.cli import main

main()
