// Type tests, checked only by `tsc -p packages/tandem --noEmit`, never run: common Next.js uses of
// next/image compile against tandem/next-image.
import { expectTypeOf } from "expect-type";
import Image, { getImageProps, type StaticImageData } from "tandem/next-image";

const hero: StaticImageData = { src: "/assets/hero.png", width: 800, height: 600, blurDataURL: "data:image/png;base64,x" };

export function Page() {
  const { props } = getImageProps({ src: "/a.png", alt: "", width: 100, height: 50, quality: 90 });
  expectTypeOf(props.srcSet).toEqualTypeOf<string | undefined>();
  expectTypeOf(props.src).toEqualTypeOf<string>();
  return (
    <>
      <Image src={hero} alt="Hero" placeholder="blur" priority />
      <Image src="/a.png" alt="" width="100" height={50} sizes="50vw" loading="eager" fetchPriority="low" />
      <Image
        src="https://cdn.example.com/a.jpg"
        alt=""
        fill
        style={{ objectFit: "cover" }}
        onLoad={(event) => event.currentTarget.naturalWidth}
      />
      <Image src="/a.png" alt="" width={10} height={10} loader={({ src, width, quality }) => `${src}?w=${width}&q=${quality ?? 75}`} />
      <img {...props} alt={props.alt} />
    </>
  );
}
