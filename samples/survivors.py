"""Exits while two of its children still run (`sleep 120` and a Python process, POSIX): they survive the program."""

import subprocess
import sys
import time

if __name__ == "__main__":
    subprocess.Popen(["sleep", "120"])
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    time.sleep(4)  # long enough for the OS view to see both before this process exits
    print("exiting; the children keep running")
