import multiprocessing as mp


def main():
	pool = mp.Pool(2)
	pool.map(abs, [-1])
	pool.close()
	pool.join()
