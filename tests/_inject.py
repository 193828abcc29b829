# Failure injection for the memory-error scripts: a list whose next append,
# once armed, raises MemoryError (a full heap on a board), then works again.


class FailOnce(list):
    why = None  # armed: the MemoryError's text

    def arm(self, why):
        self.why = why

    def append(self, x):
        why = self.why
        if why is not None:
            self.why = None
            raise MemoryError("injected: " + why)
        super().append(x)
