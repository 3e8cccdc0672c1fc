return { api = 99 }
