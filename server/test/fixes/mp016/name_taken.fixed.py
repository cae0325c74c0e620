import multiprocessing as mp


def main(table_key):
    with mp.Manager() as manager:
        table = manager.dict({table_key: []})
        table_table_key = table[table_key]
        table_table_key.append(1)
        table[table_key] = table_table_key
	
        print(table, table_key)
        entry = table[table_key, 1]
        entry.append(2)
        table[table_key, 1] = entry


if __name__ == "__main__":
    main("a")
