return { api = 1, id = string.rep("a", 100000) }
