import multiprocessing as mp

REPORT = """
header
  indented line
"""


def work():
    print(REPORT)


if __name__ == "__main__":
    proc = mp.Process(target=work)
    proc.start()
    print("""done:
    %s""" % proc.name, end=\
        "\n")
    query = ("select *"
             " from t")
