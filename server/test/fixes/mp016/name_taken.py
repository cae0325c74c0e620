import multiprocessing as mp


def main(table_key):
    with mp.Manager() as manager:
        table = manager.dict({table_key: []})
        table[table_key].append(1)
	
        print(table, table_key)
        table[table_key, 1].append(2)


if __name__ == "__main__":
    main("a")
