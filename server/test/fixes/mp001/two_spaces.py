from concurrent.futures import ProcessPoolExecutor


def work(n):
  return n + 1


with ProcessPoolExecutor() as executor:
  for value in executor.map(work, range(3)):
    print(value)
