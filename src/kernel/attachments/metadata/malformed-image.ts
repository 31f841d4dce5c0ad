/** The file claims to be an image (by its signature) but its structure cannot be walked safely. */
export class MalformedImage extends Error {
  constructor(format: string, why: string) {
    super(`not a well-formed ${format} image: ${why}`);
    this.name = 'MalformedImage';
  }
}
