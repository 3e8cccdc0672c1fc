os.execute("true") return {}
