import multiprocessing as mp

REPORT = """
header
  indented line
"""


def work():
    print(REPORT)


proc = mp.Process(target=work)
proc.start()
print("""done:
    %s""" % proc.name, end=\
    "\n")
query = ("select *"
         " from t")
