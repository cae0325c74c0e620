import multiprocessing as mp


def work(n):
	if n > 1:
		return n
	return 0


proc = mp.Process(target=work, args=(3,))
proc.start()
proc.join()
