export { GET } from "../../api/json/route";
