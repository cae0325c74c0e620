import multiprocessing as mp


def work(n):
	if n > 1:
		return n
	return 0


if __name__ == "__main__":
	proc = mp.Process(target=work, args=(3,))
	proc.start()
	proc.join()
