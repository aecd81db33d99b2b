from gestae.cli import main

main()
