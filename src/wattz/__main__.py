from wattz.cli.app import main

main()
