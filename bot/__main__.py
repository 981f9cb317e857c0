from bot.cli import main

# Guarded: a child process (bot.child, "spawn") may import this module again.
if __name__ == "__main__":
    main()
