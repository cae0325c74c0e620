"""placeholder"""
def patch_sharedctypes(module): pass
def patch_shared_memory(module): pass
