from ibasho.cli import main

main()
