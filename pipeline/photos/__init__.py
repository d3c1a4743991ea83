"""Original photos in the content folder: what metadata they carry, and removing it losslessly.

A phone photo carries where it was taken (GPS), when, with which camera (its serial number) and
often the owner's name; a repository must not keep that for a clinic's patients. The image
pipeline strips it from everything published, but the originals stay in Git: :mod:`.metadata`
finds it and removes it without re-encoding the picture (``inv check`` reports it, ``inv scrub``
removes it, ``inv edit`` removes it from every upload, CI refuses a push that adds it).
"""
