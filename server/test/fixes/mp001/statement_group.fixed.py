import multiprocessing as mp
if __name__ == "__main__":
    import os; pool = mp.Pool(2)
    print(os.getpid()); pool.close()
