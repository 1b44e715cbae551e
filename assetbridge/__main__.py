from assetbridge.cli import main

main()
