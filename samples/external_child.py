"""Runs a program that is not Python (`sleep 3`, POSIX): the runtime cannot see it, the OS process list can."""

import subprocess

if __name__ == "__main__":
    subprocess.run(["sleep", "3"], check=True)
    print("sleep finished")
