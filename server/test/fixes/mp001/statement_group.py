import multiprocessing as mp
import os; pool = mp.Pool(2)
print(os.getpid()); pool.close()
