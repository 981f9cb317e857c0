from bot.fronts.cli import main

# Guarded: a child process (bot.domain.child, "spawn") may import this module again.
if __name__ == "__main__":
    main()
