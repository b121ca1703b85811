/** A set of listeners that one throwing listener cannot break for the others. */
export class Listeners<T> {
  #set = new Set<(value: T) => void>();

  get size(): number {
    return this.#set.size;
  }

  add(listener: (value: T) => void): () => void {
    this.#set.add(listener);
    return () => {
      this.#set.delete(listener);
    };
  }

  emit(value: T): void {
    for (const listener of [...this.#set]) {
      try {
        listener(value);
      } catch (error) {
        // Report without stopping delivery to the remaining listeners.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
