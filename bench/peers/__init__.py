"""The engines fouille is measured against, behind one small interface (:class:`base.Contender`).

Each contender indexes a corpus folder of ``.txt`` files into its own work folder and answers
queries with document ids: the file's path relative to the corpus, with ``/`` separators.
"""
