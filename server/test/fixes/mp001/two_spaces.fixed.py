from concurrent.futures import ProcessPoolExecutor


def work(n):
  return n + 1


if __name__ == "__main__":
  with ProcessPoolExecutor() as executor:
    for value in executor.map(work, range(3)):
      print(value)
